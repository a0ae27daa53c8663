# Install rules for everything around the executables, and CPack (docs/PACKAGING.md).
#
# Components, one package each:
#   desktop -> earshot         the desktop app (when the target exists) and earshot-cli, .desktop
#                              file, icons, AppStream metainfo, man pages, translations
#   server  -> earshot-server  earshot-server, systemd unit, /etc/earshot/server.json, man page
# The executables' own install(TARGETS ... COMPONENT ...) rules live beside them.
#
# Linux: .deb and .rpm (build with -DCMAKE_INSTALL_PREFIX=/usr; scripts/package does).
# Windows: NSIS with windeployqt. macOS: a bundle in a DMG with macdeployqt. Neither is built here.
include_guard(GLOBAL)

set(EARSHOT_APP_ID "io.earshot.Earshot")
set(EARSHOT_MAINTAINER "Earshot developers <dev@earshot.invalid>")
set(_packaging "${PROJECT_SOURCE_DIR}/packaging")
set(_generated "${PROJECT_BINARY_DIR}/packaging")

set(EARSHOT_PACKAGE_COMPONENTS "")
if(EARSHOT_BUILD_APP)
    list(APPEND EARSHOT_PACKAGE_COMPONENTS desktop)
endif()
if(EARSHOT_BUILD_SERVER AND NOT WIN32 AND NOT APPLE)
    list(APPEND EARSHOT_PACKAGE_COMPONENTS server)
endif()
if(EARSHOT_BUILD_APP AND NOT TARGET earshot)
    message(STATUS "Packaging: no 'earshot' target in this tree; the earshot package holds "
                   "earshot-cli and the desktop files only")
endif()

# The licence: LICENSE at the top of the tree if there is one. Until the project has chosen a
# licence the packages say so plainly instead of naming one.
set(_license_file "${PROJECT_SOURCE_DIR}/LICENSE")
if(EXISTS "${_license_file}")
    set(EARSHOT_LICENSE_NAME "LicenseRef-Earshot-see-LICENSE" CACHE STRING "SPDX name of the licence, for RPM's License tag")
    file(READ "${_license_file}" EARSHOT_LICENSE_TEXT)
    set(CPACK_RESOURCE_FILE_LICENSE "${_license_file}")
else()
    set(EARSHOT_LICENSE_NAME "LicenseRef-Earshot-none-chosen" CACHE STRING
        "SPDX name of the licence, for RPM's License tag")
    set(EARSHOT_LICENSE_TEXT
        "No licence has been chosen for Earshot yet. Until one is, the Earshot developers keep\n"
        "all rights. This package is for evaluation.\n")
    string(JOIN "" EARSHOT_LICENSE_TEXT ${EARSHOT_LICENSE_TEXT})
endif()

# ---- Linux: files in the FHS places ------------------------------------------------------------
if(UNIX AND NOT APPLE)
    if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
        message(STATUS "Packaging: the .deb and .rpm expect -DCMAKE_INSTALL_PREFIX=/usr "
                       "(now ${CMAKE_INSTALL_PREFIX}); scripts/package sets it")
    endif()
    set(EARSHOT_CONFIG_DIR "/etc/earshot")
    find_program(EARSHOT_GZIP gzip REQUIRED)

    # Debian wants changelogs and man pages compressed with gzip -9n (no name, no time stamp),
    # and a copyright file in each package's doc directory.
    set(_compressed "")
    function(earshot_gzip source output)
        add_custom_command(OUTPUT "${output}"
            COMMAND ${CMAKE_COMMAND} -E copy "${source}" "${output}.tmp"
            COMMAND ${EARSHOT_GZIP} -9nf "${output}.tmp"
            COMMAND ${CMAKE_COMMAND} -E rename "${output}.tmp.gz" "${output}"
            DEPENDS "${source}" VERBATIM)
        set_property(DIRECTORY APPEND PROPERTY EARSHOT_COMPRESSED "${output}")
    endfunction()

    # A fixed date keeps the packages reproducible: the release date of this version.
    set(EARSHOT_RELEASE_DATE "Wed, 25 Nov 2026 12:00:00 +0000")
    # The licence text as a DEP-5 field body: each line indented, empty lines as " .".
    string(STRIP "${EARSHOT_LICENSE_TEXT}" _license_body)
    string(REPLACE "\n" "\n " _license_body " ${_license_body}")
    string(REGEX REPLACE "\n \n" "\n .\n" _license_body "${_license_body}")
    string(REGEX REPLACE "\n \n" "\n .\n" EARSHOT_LICENSE_DEP5 "${_license_body}")
    foreach(package IN ITEMS earshot earshot-server)
        set(EARSHOT_PACKAGE "${package}")
        configure_file("${_packaging}/linux/changelog.Debian.in"
                       "${_generated}/${package}/changelog.Debian" @ONLY)
        configure_file("${_packaging}/linux/copyright.in" "${_generated}/${package}/copyright" @ONLY)
        earshot_gzip("${_generated}/${package}/changelog.Debian"
                     "${_generated}/${package}/changelog.Debian.gz")
    endforeach()
    foreach(page IN ITEMS earshot earshot-cli earshot-server)
        earshot_gzip("${_packaging}/man/${page}.1" "${_generated}/man/${page}.1.gz")
    endforeach()
    get_property(_compressed DIRECTORY PROPERTY EARSHOT_COMPRESSED)
    add_custom_target(earshot_packaging_files ALL DEPENDS ${_compressed})

    # server -> earshot-server
    if("server" IN_LIST EARSHOT_PACKAGE_COMPONENTS)
        configure_file("${_packaging}/linux/earshot-server.service.in"
                       "${_generated}/earshot-server.service" @ONLY)
        install(FILES "${_generated}/earshot-server.service"
                DESTINATION lib/systemd/system COMPONENT server)
        install(FILES "${_packaging}/linux/server.json"
                DESTINATION "${EARSHOT_CONFIG_DIR}" COMPONENT server)
        install(FILES "${_generated}/man/earshot-server.1.gz"
                DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT server)
        install(FILES "${_generated}/earshot-server/copyright"
                      "${_generated}/earshot-server/changelog.Debian.gz"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/earshot-server" COMPONENT server)
        install(FILES "${_packaging}/linux/lintian/earshot-server"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides" COMPONENT server)
    endif()

    # desktop -> earshot
    if("desktop" IN_LIST EARSHOT_PACKAGE_COMPONENTS)
        install(FILES "${_packaging}/linux/${EARSHOT_APP_ID}.desktop"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/applications" COMPONENT desktop)
        install(FILES "${_packaging}/linux/${EARSHOT_APP_ID}.metainfo.xml"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/metainfo" COMPONENT desktop)
        install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/${EARSHOT_APP_ID}.svg"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps"
                COMPONENT desktop)
        foreach(size IN ITEMS 16 22 24 32 48 64 128 256 512)
            install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/${EARSHOT_APP_ID}-${size}.png"
                    DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps"
                    RENAME "${EARSHOT_APP_ID}.png" COMPONENT desktop)
        endforeach()
        install(FILES "${_generated}/man/earshot.1.gz" "${_generated}/man/earshot-cli.1.gz"
                DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT desktop)
        install(FILES "${_generated}/earshot/copyright" "${_generated}/earshot/changelog.Debian.gz"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/earshot" COMPONENT desktop)
        install(FILES "${_packaging}/linux/lintian/earshot"
                DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides" COMPONENT desktop)
    endif()
endif()

# ---- Translations: the engine's and the app's messages as .qm files beside the app -------------
# The engine and the app use the copies embedded in them as resources; these installed files
# (share/earshot/translations, bin/translations on Windows) are for translators and for other
# programs embedding the engine.
if("desktop" IN_LIST EARSHOT_PACKAGE_COMPONENTS)
    find_package(Qt6 REQUIRED COMPONENTS LinguistTools)
    set(_ts_files "${PROJECT_SOURCE_DIR}/translations/earshot_engine_zh_CN.ts"
                  "${PROJECT_SOURCE_DIR}/translations/earshot_engine_en.ts")
    if(TARGET earshot_ui)
        list(APPEND _ts_files "${PROJECT_SOURCE_DIR}/translations/earshot_app_zh_CN.ts"
                              "${PROJECT_SOURCE_DIR}/translations/earshot_app_en.ts")
    endif()
    set_source_files_properties(${_ts_files} PROPERTIES OUTPUT_LOCATION "${_generated}/translations")
    add_custom_target(earshot_packaged_translations ALL)
    qt_add_lrelease(earshot_packaged_translations TS_FILES ${_ts_files}
                    QM_FILES_OUTPUT_VARIABLE _qm_files)
    if(APPLE AND TARGET earshot)
        set(_translations_dir "Earshot.app/Contents/Resources/translations")
    elseif(WIN32 OR APPLE)
        set(_translations_dir "${CMAKE_INSTALL_BINDIR}/translations")
    else()
        set(_translations_dir "${CMAKE_INSTALL_DATAROOTDIR}/earshot/translations")
    endif()
    install(FILES ${_qm_files} DESTINATION "${_translations_dir}" COMPONENT desktop)
endif()

# ---- Windows: windeployqt into the install tree, NSIS installer --------------------------------
if(WIN32 AND "desktop" IN_LIST EARSHOT_PACKAGE_COMPONENTS)
    find_program(EARSHOT_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}"
                 REQUIRED)
    set(_deployed earshot-cli.exe)
    if(TARGET earshot)
        list(PREPEND _deployed earshot.exe)
    endif()
    foreach(executable IN LISTS _deployed)
        install(CODE "
            execute_process(COMMAND \"${EARSHOT_WINDEPLOYQT}\" --release --no-compiler-runtime
                                    --no-system-d3d-compiler --no-opengl-sw
                                    \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${executable}\"
                            COMMAND_ERROR_IS_FATAL ANY)" COMPONENT desktop)
    endforeach()
    # The MSVC runtime DLLs beside the executables.
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT desktop)
    include(InstallRequiredSystemLibraries)
endif()

# ---- macOS: the app bundle, macdeployqt, a DMG --------------------------------------------------
# The earshot target must be a MACOSX_BUNDLE installed with `BUNDLE DESTINATION .`; the
# properties that name the bundle are set here.
if(APPLE AND TARGET earshot)
    set_target_properties(earshot PROPERTIES
        MACOSX_BUNDLE ON
        MACOSX_BUNDLE_INFO_PLIST "${_packaging}/macos/Info.plist.in"
        MACOSX_BUNDLE_GUI_IDENTIFIER "${EARSHOT_APP_ID}"
        MACOSX_BUNDLE_BUNDLE_NAME "Earshot"
        MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
        MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
        MACOSX_BUNDLE_ICON_FILE "earshot.icns"
        OUTPUT_NAME "Earshot")
    target_sources(earshot PRIVATE "${_packaging}/macos/earshot.icns")
    set_source_files_properties("${_packaging}/macos/earshot.icns" TARGET_DIRECTORY earshot
                                PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    find_program(EARSHOT_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}"
                 REQUIRED)
    # earshot-cli rides inside the bundle, so one deployment serves both.
    install(CODE "
        file(COPY \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/earshot-cli\"
             DESTINATION \"\${CMAKE_INSTALL_PREFIX}/Earshot.app/Contents/MacOS\")
        execute_process(COMMAND \"${EARSHOT_MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/Earshot.app\"
                                \"-executable=\${CMAKE_INSTALL_PREFIX}/Earshot.app/Contents/MacOS/earshot-cli\"
                                -always-overwrite
                        COMMAND_ERROR_IS_FATAL ANY)" COMPONENT desktop)
endif()

# Every install rule must name its component, or its files are in no package.
get_cmake_property(_install_components COMPONENTS)
if("Unspecified" IN_LIST _install_components)
    message(WARNING "Packaging: some install() rule has no COMPONENT (desktop or server); "
                    "its files are left out of the packages")
endif()

# ---- CPack --------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "earshot")
set(CPACK_PACKAGE_VENDOR "Earshot developers")
set(CPACK_PACKAGE_CONTACT "${EARSHOT_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Earshot")
set(CPACK_PACKAGE_ICON "${_packaging}/windows/earshot.ico")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${EARSHOT_PACKAGE_COMPONENTS})
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_COMPONENT_DESKTOP_DISPLAY_NAME "Earshot")
set(EARSHOT_DESKTOP_SUMMARY "voice chat for small groups: desktop app and headless client")
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION
    "Earshot is voice chat for small groups: everyone in a room hears everyone\n"
    "else, with low delay, echo cancellation and noise suppression. This package\n"
    "holds the desktop app and earshot-cli, the headless client for scripts, bots\n"
    "and tests.")
string(JOIN "" CPACK_COMPONENT_DESKTOP_DESCRIPTION ${CPACK_COMPONENT_DESKTOP_DESCRIPTION})
set(CPACK_COMPONENT_SERVER_DISPLAY_NAME "Earshot server")
set(EARSHOT_SERVER_SUMMARY "Earshot voice chat server")
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "earshot-server admits Earshot clients to rooms, relays their signalling over\n"
    "WebSocket and forwards their encrypted voice over UDP. The package runs it as\n"
    "a systemd service under its own user, from /etc/earshot/server.json, with an\n"
    "app whose keys are generated on installation.")
string(JOIN "" CPACK_COMPONENT_SERVER_DESCRIPTION ${CPACK_COMPONENT_SERVER_DESCRIPTION})

if(WIN32)
    set(CPACK_GENERATOR "NSIS")
    set(CPACK_NSIS_PACKAGE_NAME "Earshot")
    set(CPACK_NSIS_DISPLAY_NAME "Earshot ${PROJECT_VERSION}")
    set(CPACK_NSIS_MUI_ICON "${_packaging}/windows/earshot.ico")
    set(CPACK_NSIS_MUI_UNIICON "${_packaging}/windows/earshot.ico")
    set(CPACK_NSIS_INSTALLED_ICON_NAME "${CMAKE_INSTALL_BINDIR}\\\\earshot.exe")
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MODIFY_PATH ON) # so that earshot-cli runs from a console
    if(TARGET earshot)
        set(CPACK_PACKAGE_EXECUTABLES "earshot" "Earshot") # the Start menu entry
    endif()
    set(CPACK_COMPONENTS_ALL desktop)
    set(CPACK_COMPONENT_DESKTOP_REQUIRED ON)
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "Earshot")
    set(CPACK_COMPONENTS_ALL desktop)
    set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
else()
    set(CPACK_GENERATOR "DEB")
    find_program(EARSHOT_RPMBUILD rpmbuild)
    if(EARSHOT_RPMBUILD)
        list(APPEND CPACK_GENERATOR "RPM")
    else()
        message(STATUS "Packaging: no rpmbuild, so cpack makes .deb only (apt-get install rpm)")
    endif()

    # .deb
    # CPackDeb puts the project-wide summary above each component's description unless the
    # summary is CPack's default; with the default, each description's first line is the
    # package's synopsis (CPACK_DEBIAN_<COMPONENT>_DESCRIPTION below).
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${EARSHOT_MAINTAINER}")
    set(CPACK_DEBIAN_PACKAGE_SECTION "net")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    # Runtime dependencies from the binaries' shared libraries (dpkg-shlibdeps): Qt, Opus,
    # PortAudio, libsodium, speexdsp... and nothing from the build.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
    set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME "earshot")
    set(CPACK_DEBIAN_DESKTOP_DESCRIPTION
        "${EARSHOT_DESKTOP_SUMMARY}\n${CPACK_COMPONENT_DESKTOP_DESCRIPTION}")
    if(TARGET earshot)
        # The window system plugins are loaded at run time, so shlibdeps cannot see them.
        set(CPACK_DEBIAN_DESKTOP_PACKAGE_DEPENDS "qt6-qpa-plugins")
    endif()
    set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "earshot-server")
    set(CPACK_DEBIAN_SERVER_DESCRIPTION
        "${EARSHOT_SERVER_SUMMARY}\n${CPACK_COMPONENT_SERVER_DESCRIPTION}")
    set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
    set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
        "${_packaging}/linux/deb/postinst" "${_packaging}/linux/deb/prerm"
        "${_packaging}/linux/deb/postrm" "${_packaging}/linux/deb/conffiles")

    # .rpm
    set(CPACK_RPM_COMPONENT_INSTALL ON)
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_RELEASE 1)
    set(CPACK_PACKAGE_RELOCATABLE OFF) # /etc/earshot and the unit have fixed places
    set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none\n%define packager ${EARSHOT_MAINTAINER}")
    set(CPACK_RPM_PACKAGE_LICENSE "${EARSHOT_LICENSE_NAME}")
    set(CPACK_RPM_PACKAGE_GROUP "Applications/Communications")
    set(CPACK_RPM_DESKTOP_PACKAGE_NAME "earshot")
    set(CPACK_RPM_DESKTOP_PACKAGE_SUMMARY "Voice chat for small groups: desktop app and headless client")
    set(CPACK_RPM_DESKTOP_PACKAGE_DESCRIPTION "${CPACK_COMPONENT_DESKTOP_DESCRIPTION}")
    set(CPACK_RPM_SERVER_PACKAGE_NAME "earshot-server")
    set(CPACK_RPM_SERVER_PACKAGE_SUMMARY "${EARSHOT_SERVER_SUMMARY}")
    set(CPACK_RPM_SERVER_PACKAGE_DESCRIPTION "${CPACK_COMPONENT_SERVER_DESCRIPTION}")
    set(CPACK_RPM_SERVER_PACKAGE_REQUIRES_POST "shadow-utils")
    set(CPACK_RPM_SERVER_POST_INSTALL_SCRIPT_FILE "${_packaging}/linux/rpm/post.sh")
    set(CPACK_RPM_SERVER_PRE_UNINSTALL_SCRIPT_FILE "${_packaging}/linux/rpm/preun.sh")
    set(CPACK_RPM_SERVER_POST_UNINSTALL_SCRIPT_FILE "${_packaging}/linux/rpm/postun.sh")
    set(CPACK_RPM_SERVER_USER_FILELIST "%config(noreplace) ${EARSHOT_CONFIG_DIR}/server.json")
    # Directories that belong to the system (filesystem, systemd, hicolor-icon-theme packages).
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /etc /usr/lib/systemd /usr/lib/systemd/system /usr/share/man /usr/share/man/man1
        /usr/share/applications /usr/share/metainfo /usr/share/lintian /usr/share/lintian/overrides
        /usr/share/icons /usr/share/icons/hicolor
        /usr/share/icons/hicolor/scalable /usr/share/icons/hicolor/scalable/apps)
    foreach(size IN ITEMS 16 22 24 32 48 64 128 256 512)
        list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
             /usr/share/icons/hicolor/${size}x${size} /usr/share/icons/hicolor/${size}x${size}/apps)
    endforeach()
endif()

include(CPack)
