# Helpers of the command-line test scripts (included by end_to_end.cmake and report.cmake).
# They need AIDCSIM (the binary) and SOURCE (the source tree, the working directory of each call).

function(expect_exit code)  # expect_exit(CODE args...) runs aidcsim with args, checks the exit code
  execute_process(COMMAND ${AIDCSIM} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY ${SOURCE})
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "aidcsim ${ARGN}: expected exit ${code}, got ${rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: expected to match '${regex}', got:\n${text}")
  endif()
endfunction()
