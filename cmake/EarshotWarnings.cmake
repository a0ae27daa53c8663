# earshot_set_warnings(target): the project's warning set, applied to every first-party target.
function(earshot_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(EARSHOT_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                               -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                               -Woverloaded-virtual -Wconversion -Wsign-conversion
                               -Wno-sign-conversion -Wno-conversion)
        if(EARSHOT_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()
