# Installs the library, its headers, an exported CMake package
# (find_package(cio) -> cio::cio, cio::cio_static) and cio.pc.
include(CMakePackageConfigHelpers)

install(TARGETS cio cio_static EXPORT cioTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cioTargets NAMESPACE cio:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cio)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/cioConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/cioConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cio)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cioConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cioConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/cioConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cio)

configure_file(${CMAKE_CURRENT_LIST_DIR}/cio.pc.in ${CMAKE_CURRENT_BINARY_DIR}/cio.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cio.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
