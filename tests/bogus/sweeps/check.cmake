# cmake -DAIDCSIM=path -DCASE=tests/bogus/sweeps/NAME -DWORK=dir -P check.cmake   (run from the source root)
# Passes when `aidcsim sweep CASE.yaml -o WORK` exits 2, its stderr equals CASE.expected and it
# wrote nothing: a sweep file is read by the same YAML front end as a scenario, with the same answers.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${AIDCSIM} sweep ${CASE}.yaml -o ${WORK}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${CASE}.expected expected)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "expected exit code 2, got ${code}\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from ${CASE}.expected\n--- expected\n${expected}--- got\n${err}")
endif()
if(EXISTS ${WORK})
  message(FATAL_ERROR "${WORK} was written although the sweep file is bad")
endif()
