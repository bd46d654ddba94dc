# cmake -DINPUT=file.yaml -DOUTPUT=file.cpp -DFUNCTION=name -P EmbedText.cmake
# Writes a C++ source defining `std::string_view aidc::FUNCTION() noexcept` returning the file's
# bytes. Bytes are written as hex so any content (quotes, backslashes, non-ASCII) is safe.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('[^']*',){16})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/EmbedText.cmake. Do not edit.\n"
"#include <string_view>\n\n"
"namespace aidc {\n"
"namespace {\n"
"constexpr char embedded_bytes[] = {\n  ${bytes}'\\0'};\n"
"}  // namespace\n\n"
"std::string_view ${FUNCTION}() noexcept { return {embedded_bytes, ${byte_count}}; }\n\n"
"}  // namespace aidc\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
