// The source of the precompiled-header targets (torch_precompiled_header.cmake): the header is the point.
