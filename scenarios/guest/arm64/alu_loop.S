#include "guest.h"
#define ITERS 100000000
#include "alu_loop.h"
