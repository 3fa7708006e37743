# shrewd._torch (docs/python.md, "Losses in PyTorch"): the losses of shrewd_train for PyTorch,
# included by python/CMakeLists.txt. A torch C++ extension built by CMake: pybind11 with torch's
# Python bindings (torch/extension.h and libtorch_python), so that at::Tensor crosses into Python
# as torch.Tensor with its autograd graph. It must be built against the LibTorch of the PyTorch that
# imports it (Debian: libtorch-dev and python3-torch are one build; for PyTorch 2.x see
# docs/python.md).
if(NOT SHREWD_WITH_TORCH)
  return()
endif()

execute_process(COMMAND ${Python_EXECUTABLE} -c "import torch; print('.'.join(torch.__version__.split('.')[:2]))"
                OUTPUT_VARIABLE shrewd_python_torch_version OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE shrewd_python_torch_status ERROR_QUIET)
if(NOT shrewd_python_torch_status EQUAL 0)
  message(STATUS "shrewd: ${Python_EXECUTABLE} has no torch, shrewd.torch is not built (python3-torch)")
  return()
endif()
if(NOT shrewd_python_torch_version VERSION_EQUAL "${Torch_VERSION_MAJOR}.${Torch_VERSION_MINOR}")
  message(FATAL_ERROR "shrewd.torch: ${Python_EXECUTABLE} imports torch ${shrewd_python_torch_version} but CMake "
                      "found LibTorch ${Torch_VERSION} (${Torch_DIR}); the extension must be built against the "
                      "LibTorch of that torch: -DCMAKE_PREFIX_PATH=$(python -c 'import torch.utils; "
                      "print(torch.utils.cmake_prefix_path)'), or -DSHREWD_WITH_TORCH=OFF")
endif()
find_library(SHREWD_TORCH_PYTHON_LIBRARY torch_python HINTS ${TORCH_INSTALL_PREFIX}/lib)
if(NOT SHREWD_TORCH_PYTHON_LIBRARY)
  message(FATAL_ERROR "shrewd.torch: libtorch_python not found beside LibTorch (${TORCH_INSTALL_PREFIX}/lib)")
endif()

pybind11_add_module(shrewd_python_torch NO_EXTRAS  # no LTO, as shrewd._core (python/CMakeLists.txt)
  src/torch/module.cpp
  src/torch/tensor_args.cpp
  src/torch/losses.cpp)
target_link_libraries(shrewd_python_torch PRIVATE shrewd_train ${SHREWD_TORCH_PYTHON_LIBRARY})
target_include_directories(shrewd_python_torch PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_compile_options(shrewd_python_torch PRIVATE ${TORCH_CXX_FLAGS})
set_target_properties(shrewd_python_torch PROPERTIES
  OUTPUT_NAME _torch
  LIBRARY_OUTPUT_DIRECTORY ${SHREWD_PYTHON_PACKAGE_DIR})
add_dependencies(shrewd_python shrewd_python_torch)
install(TARGETS shrewd_python_torch LIBRARY DESTINATION ${SHREWD_PYTHON_INSTALL_DIR}/shrewd COMPONENT python)

# The trainer's side of the comparison in python/tests/test_torch_losses.py: the same batch through
# the trainer's loss objects, losses and gradients written as .npy.
if(SHREWD_BUILD_TESTS AND TEST python_test_torch_losses)
  add_executable(shrewd_torch_trainer_losses tests/torch_trainer_losses.cpp)
  target_link_libraries(shrewd_torch_trainer_losses PRIVATE shrewd_train)
  shrewd_use_torch_pch(shrewd_torch_trainer_losses)
  add_dependencies(shrewd_python shrewd_torch_trainer_losses)
  set_property(TEST python_test_torch_losses APPEND PROPERTY
               ENVIRONMENT "SHREWD_TORCH_TRAINER_LOSSES=$<TARGET_FILE:shrewd_torch_trainer_losses>")
endif()
