# Install + export, so that a risk system can find_package(computedebt).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(computedebt_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/computedebt")

install(TARGETS computedebt EXPORT computedebtTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY include/computedebt DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/include/computedebt/version.hpp" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/computedebt")
if(TARGET computedebt_cli)
  install(TARGETS computedebt_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

install(EXPORT computedebtTargets NAMESPACE computedebt:: DESTINATION "${computedebt_cmake_dir}")
configure_package_config_file(cmake/computedebtConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/computedebtConfig.cmake" INSTALL_DESTINATION "${computedebt_cmake_dir}")
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/computedebtConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/computedebtConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/computedebtConfigVersion.cmake"
              cmake/computedebtDependencies.cmake
        DESTINATION "${computedebt_cmake_dir}")

# JSON Schemas of the deal files, scenario patches and output documents, for risk systems to validate against.
install(DIRECTORY schema/ DESTINATION "${CMAKE_INSTALL_DATADIR}/computedebt/schema" FILES_MATCHING PATTERN "*.schema.json")
