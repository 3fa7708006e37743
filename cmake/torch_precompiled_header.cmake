# One precompiled <torch/torch.h> for the LibTorch targets. Parsing it takes about 14 s in each of
# the nearly forty translation units that include it, most of their compile time and minutes of the
# 2-core test build; precompiled once and reused (REUSE_FROM), it is parsed twice in all.
# gcc takes a precompiled header only where it was made with the same code model, so the libraries
# (-fPIC when the Python package is built) and the programs (the compiler's default) each have one.
option(SHREWD_TORCH_PCH "Precompile <torch/torch.h> once for the LibTorch targets" ON)

if(SHREWD_TORCH_PCH)
  foreach(kind library program)
    add_library(shrewd_torch_pch_${kind} OBJECT ${CMAKE_CURRENT_LIST_DIR}/torch_precompiled_header.cpp)
    target_link_libraries(shrewd_torch_pch_${kind} PRIVATE shrewd_common ${TORCH_LIBRARIES})
    target_include_directories(shrewd_torch_pch_${kind} SYSTEM PRIVATE ${TORCH_INCLUDE_DIRS})
    target_precompile_headers(shrewd_torch_pch_${kind} PRIVATE <torch/torch.h>)
  endforeach()
  set_target_properties(shrewd_torch_pch_program PROPERTIES POSITION_INDEPENDENT_CODE OFF)
endif()

# shrewd_use_torch_pch(<target>): the target's sources start from the precompiled <torch/torch.h>.
function(shrewd_use_torch_pch target)
  if(NOT SHREWD_TORCH_PCH)
    return()
  endif()
  target_compile_options(${target} PRIVATE -Winvalid-pch)  # a mismatch warns instead of silently parsing
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
    target_precompile_headers(${target} REUSE_FROM shrewd_torch_pch_program)
  else()
    target_precompile_headers(${target} REUSE_FROM shrewd_torch_pch_library)
  endif()
endfunction()
