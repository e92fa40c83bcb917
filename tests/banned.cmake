# banned.cmake - the ctest "banned": compat/banned.h, forced into every C
# file by CMakeLists.txt, makes each banned function a compile error.
# Builds tests/banned_probe.c once per function (target banned_probe_<f>,
# the project's own flags) and expects the build to fail with
# sorry_<f>_is_a_banned_function; the probe without a banned call
# (banned_probe_none) must build. Without the ban every probe would build.
#   cmake -DBUILD_DIR=... -DFUNCTIONS="sprintf;strcpy;..." -P banned.cmake
set(failures 0)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR}
  --target banned_probe_none RESULT_VARIABLE rc OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(SEND_ERROR "the probe without a banned call does not build:\n${out}")
  math(EXPR failures "${failures} + 1")
endif()
foreach(f ${FUNCTIONS})
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR}
    --target banned_probe_${f} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(SEND_ERROR "${f}() compiles: compat/banned.h does not ban it")
    math(EXPR failures "${failures} + 1")
  elseif(NOT out MATCHES "sorry_${f}_is_a_banned_function")
    message(SEND_ERROR "${f}(): the build failed, but not by the ban:\n${out}")
    math(EXPR failures "${failures} + 1")
  else()
    message(STATUS "${f}: banned")
  endif()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} banned functions not refused")
endif()
