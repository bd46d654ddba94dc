# Helpers shared by every aidcsim target: warnings, sanitizers, include paths.

# The same scenario and seed give the same bytes in every build type: no fused multiply-add
# contraction, which GCC does by default in C++ wherever the target has FMA (aarch64, x86-64 with
# -march=haswell or later) and only when optimising, so Debug and Release would round differently.
add_compile_options(-ffp-contract=off)

# Every preset builds without a warning. Two GCC 12 diagnostics are left out because at -O2 they
# fire inside inlined libstdc++ code, not ours: -Wnull-dereference (std::basic_streambuf) and
# -Wrestrict (std::string concatenation, GCC bug 105329).
function(aidc_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
    $<$<BOOL:${AIDC_WARNINGS_AS_ERRORS}>:-Werror>)
endfunction()

# AIDC_FUZZ instruments the libraries for libFuzzer's coverage (the fuzz targets link the fuzzer).
function(aidc_set_sanitizers target)
  if(AIDC_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  elseif(AIDC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# aidc_layer(NAME SOURCES... DEPENDS ...): one static library per layer, aliased aidc::NAME.
function(aidc_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(aidc_${name} STATIC ${ARG_SOURCES})
  add_library(aidc::${name} ALIAS aidc_${name})
  target_include_directories(aidc_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
           $<INSTALL_INTERFACE:include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_features(aidc_${name} PUBLIC cxx_std_20)
  target_link_libraries(aidc_${name} PUBLIC ${ARG_DEPENDS})
  aidc_set_warnings(aidc_${name})
  aidc_set_sanitizers(aidc_${name})
endfunction()
