# Guest programs: assembled and linked with Debian's clang and lld.
# hypsim_guest(ARCH NAME SOURCES...) builds ${CMAKE_BINARY_DIR}/guest/ARCH/NAME.elf
# with ARCH/link.ld (which places the image at the start of the guest's RAM).
find_program(GUEST_CLANG clang REQUIRED)
find_program(GUEST_LLD ld.lld REQUIRED)
# lld 14 has no SystemZ support (it crashes linking s390x objects): s390x
# guests are assembled by clang and linked by GNU ld (binutils-s390x-linux-gnu).
find_program(GUEST_S390X_LD s390x-linux-gnu-ld REQUIRED)

set(HYPSIM_GUEST_DIR ${CMAKE_BINARY_DIR}/guest)

function(hypsim_guest arch name)
  if(arch STREQUAL "arm64")
    set(target_flags --target=aarch64-none-elf)
  elseif(arch STREQUAL "riscv64")
    set(target_flags --target=riscv64-none-elf -march=rv64gc -mabi=lp64d -mno-relax)
  elseif(arch STREQUAL "s390x")
    set(target_flags --target=s390x-linux-gnu)
  elseif(arch STREQUAL "riscv32")
    set(target_flags --target=riscv32-none-elf -march=rv32imac -mabi=ilp32 -mno-relax)
  else()
    message(FATAL_ERROR "hypsim_guest: unknown arch ${arch}")
  endif()
  set(outdir ${HYPSIM_GUEST_DIR}/${arch})
  set(objs)
  foreach(src ${ARGN})
    get_filename_component(stem ${src} NAME_WE)
    set(obj ${outdir}/${name}-${stem}.o)
    file(GLOB headers ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/*.h)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${GUEST_CLANG} ${target_flags} -ffreestanding -nostdlib -O2 -g0
              -I${CMAKE_CURRENT_SOURCE_DIR}/${arch}
              -c ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${src} -o ${obj}
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${src} ${headers}
      COMMENT "GUEST   ${arch}/${src}" VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  set(elf ${outdir}/${name}.elf)
  set(linker ${GUEST_LLD})
  if(arch STREQUAL "s390x")
    set(linker ${GUEST_S390X_LD})
  endif()
  add_custom_command(OUTPUT ${elf}
    COMMAND ${linker} -static -nostdlib --no-relax -T ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/link.ld ${objs} -o ${elf}
    DEPENDS ${objs} ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/link.ld
    COMMENT "GUESTLD ${arch}/${name}.elf" VERBATIM)
  add_custom_target(guest-${arch}-${name} ALL DEPENDS ${elf})
endfunction()

# hypsim_guest_image(riscv64 NAME SOURCE): a Linux-format Image (flat binary,
# its own header first) linked with riscv64/image.ld: guest/riscv64/NAME.img.
find_program(GUEST_OBJCOPY llvm-objcopy REQUIRED)
# hypsim_guest_image(ARCH NAME SRC [LDSCRIPT]): a flat image, by default a Linux-format Image (image.ld).
function(hypsim_guest_image arch name src)
  set(ld image.ld)
  if(ARGC GREATER 3)
    set(ld ${ARGV3})
  endif()
  set(outdir ${HYPSIM_GUEST_DIR}/${arch})
  set(obj ${outdir}/${name}-img.o)
  set(elf ${outdir}/${name}-img.elf)
  set(img ${outdir}/${name}.img)
  add_custom_command(OUTPUT ${img}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${GUEST_CLANG} --target=riscv64-none-elf -march=rv64gc -mabi=lp64d -mno-relax -ffreestanding
            -nostdlib -c ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${src} -o ${obj}
    COMMAND ${GUEST_LLD} -static -nostdlib --no-relax -T ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${ld} ${obj} -o ${elf}
    COMMAND ${GUEST_OBJCOPY} -O binary ${elf} ${img}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${src} ${CMAKE_CURRENT_SOURCE_DIR}/${arch}/${ld}
    COMMENT "GUESTIMG ${arch}/${name}.img" VERBATIM)
  add_custom_target(guest-${arch}-${name}-img ALL DEPENDS ${img})
endfunction()
