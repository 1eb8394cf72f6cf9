# cio_warnings(target): the project's strict warning set.
function(cio_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wvla -Wformat=2
    -Wno-unused-parameter -Wmissing-prototypes
    $<$<BOOL:${CIO_WERROR}>:-Werror>)
endfunction()
