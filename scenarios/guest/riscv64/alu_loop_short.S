#include "guest.h"
#define ITERS 1
#include "alu_loop.h"
