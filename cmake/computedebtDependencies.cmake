# Every dependency as an imported target. Debian ships CMake packages for fmt,
# nlohmann_json, CLI11, Boost and Highway; QuantLib comes through pkg-config and
# Random123 is a header-only tree without a package file.
include(CMakeFindDependencyMacro)

find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Boost 1.74 REQUIRED)
# Google Highway: SIMD kernels compiled for every x86 and ARM target, the best one chosen at run time.
find_package(hwy 1.0 REQUIRED)

find_package(PkgConfig REQUIRED)
pkg_check_modules(QuantLib REQUIRED IMPORTED_TARGET GLOBAL quantlib>=1.29)

find_path(Random123_INCLUDE_DIR Random123/philox.h REQUIRED)
if(NOT TARGET Random123::Random123)
  add_library(Random123::Random123 INTERFACE IMPORTED GLOBAL)
  set_target_properties(Random123::Random123 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${Random123_INCLUDE_DIR}")
endif()

# Debian's QuantLib was built with gcc's OpenMP and its pkg-config file asks for -fopenmp, which clang turns into
# libomp: not needed (libQuantLib.so already links libgomp, and computedebt uses no OpenMP), so drop it there.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  foreach(property INTERFACE_COMPILE_OPTIONS INTERFACE_LINK_OPTIONS INTERFACE_LINK_LIBRARIES)
    get_target_property(values PkgConfig::QuantLib ${property})
    if(values)
      list(REMOVE_ITEM values -fopenmp)
      set_target_properties(PkgConfig::QuantLib PROPERTIES ${property} "${values}")
    endif()
  endforeach()
endif()
