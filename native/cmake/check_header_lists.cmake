# The C API's topic headers are named in three places that must agree (ctest runs this with
#   cmake -DSR_ROOT=<repository> -P native/cmake/check_header_lists.cmake):
#   the files native/include/sparseretrain/*.h, the #include lines of the umbrella sparseretrain.h,
#   and the include list of the JavaCPP config SrPresets.java, which the parser reads instead of
#   following #include: a header missing there would silently drop its functions from SrNative.
set(inc ${SR_ROOT}/native/include)
set(presets ${SR_ROOT}/java/native-bridge/src/main/java/io/sparseretrain/nativebridge/presets/SrPresets.java)

file(GLOB files RELATIVE ${inc} ${inc}/sparseretrain/*.h)
list(SORT files)

file(STRINGS ${inc}/sparseretrain.h umbrella REGEX "^#include \"sparseretrain/[a-z0-9_]+\\.h\"$")
list(TRANSFORM umbrella REPLACE "^#include \"(.*)\"$" "\\1")

file(READ ${presets} text)
string(REGEX MATCH "include = {[^}]*}" javacpp "${text}")
string(REGEX MATCHALL "\"[^\"]+\"" javacpp "${javacpp}")
list(TRANSFORM javacpp REPLACE "\"" "")

set(sorted ${umbrella})
list(SORT sorted)
if(NOT sorted STREQUAL files)
  message(FATAL_ERROR "sparseretrain.h includes [${umbrella}] but native/include/sparseretrain/ holds [${files}]")
endif()
list(GET umbrella 0 first)
if(NOT first STREQUAL "sparseretrain/base.h")
  message(FATAL_ERROR "sparseretrain.h must include sparseretrain/base.h first, not ${first}")
endif()
if(NOT javacpp STREQUAL "sparseretrain.h;${umbrella}")
  message(FATAL_ERROR "SrPresets.java lists [${javacpp}]; expected sparseretrain.h, then the umbrella's "
    "includes in its order: [${umbrella}]")
endif()
list(LENGTH files n)
message(STATUS "header lists agree: sparseretrain.h + ${n} topic headers (files, umbrella, SrPresets.java)")
