# Global sanitizer flags, chosen by EARSHOT_SANITIZER (see CMakePresets.json: asan, tsan).
if(EARSHOT_SANITIZER)
    list(JOIN EARSHOT_SANITIZER "," _earshot_san)
    add_compile_options(-fsanitize=${_earshot_san} -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${_earshot_san})
    if("undefined" IN_LIST EARSHOT_SANITIZER)
        add_compile_options(-fno-sanitize-recover=undefined)
    endif()
endif()
