# cmake -DAIDCSIM=path -DCASE=tests/bogus/NAME -P check.cmake   (run from the source root)
# Passes when `aidcsim validate CASE.yaml` exits 2 and its stderr equals CASE.expected.
execute_process(COMMAND ${AIDCSIM} validate ${CASE}.yaml
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${CASE}.expected expected)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "expected exit code 2, got ${code}\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from ${CASE}.expected\n--- expected\n${expected}--- got\n${err}")
endif()
