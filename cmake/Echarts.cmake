# Finds the pinned ECharts (cmake/echarts.lock) that tools/setup fetched into its cache:
#   $AIDC_CACHE_DIR, else $XDG_CACHE_HOME/aidcsim, else $HOME/.cache/aidcsim
# and sets AIDC_ECHARTS_JS (the minified file, embedded in aidcsim at build time) and
# AIDC_ECHARTS_VERSION. Configuring fails, saying what to run, if the file is missing.
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/echarts.lock echarts_lock REGEX "^version ")
string(REGEX REPLACE "^version +" "" AIDC_ECHARTS_VERSION "${echarts_lock}")
if(DEFINED ENV{AIDC_CACHE_DIR} AND NOT "$ENV{AIDC_CACHE_DIR}" STREQUAL "")
  set(aidc_cache_dir "$ENV{AIDC_CACHE_DIR}")
elseif(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  set(aidc_cache_dir "$ENV{XDG_CACHE_HOME}/aidcsim")
else()
  set(aidc_cache_dir "$ENV{HOME}/.cache/aidcsim")
endif()
set(AIDC_ECHARTS_JS "${aidc_cache_dir}/echarts-${AIDC_ECHARTS_VERSION}/echarts.min.js"
    CACHE FILEPATH "ECharts minified file embedded in reports (fetched by tools/setup)")
if(NOT EXISTS "${AIDC_ECHARTS_JS}")
  message(FATAL_ERROR
    "ECharts ${AIDC_ECHARTS_VERSION} (echarts.min.js) not found at ${AIDC_ECHARTS_JS}.\n"
    "Run tools/setup: it fetches the pinned version from the npm registry into that cache. "
    "Or point -DAIDC_ECHARTS_JS=... at a copy of dist/echarts.min.js from the echarts ${AIDC_ECHARTS_VERSION} package.")
endif()
