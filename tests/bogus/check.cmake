# cmake -DAIDCSIM=path -DCASE=tests/bogus/NAME -P check.cmake   (run from the source root)
# Passes when `aidcsim validate CASE.yaml` exits 2 and its stderr equals CASE.expected.
# With -DWORK=dir the case is a sweep file: `aidcsim sweep CASE.yaml -o WORK` must do the same and
# write nothing (a sweep file is read by the scenario's YAML front end, with the same answers).
if(DEFINED WORK)
  file(REMOVE_RECURSE ${WORK})
  set(command sweep ${CASE}.yaml -o ${WORK})
else()
  set(command validate ${CASE}.yaml)
endif()
execute_process(COMMAND ${AIDCSIM} ${command}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${CASE}.expected expected)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "expected exit code 2, got ${code}\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from ${CASE}.expected\n--- expected\n${expected}--- got\n${err}")
endif()
if(DEFINED WORK AND EXISTS ${WORK})
  message(FATAL_ERROR "${WORK} was written although the sweep file is bad")
endif()
