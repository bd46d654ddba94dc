# Passes when `aidcsim schema` prints exactly the checked-in DOC.
execute_process(COMMAND ${AIDCSIM} schema RESULT_VARIABLE rc OUTPUT_VARIABLE generated)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "aidcsim schema failed (${rc})")
endif()
file(READ ${DOC} checked_in)
if(NOT generated STREQUAL checked_in)
  message(FATAL_ERROR "${DOC} is stale: regenerate it with `build/dev/aidcsim schema > docs/scenario-reference.md`")
endif()
