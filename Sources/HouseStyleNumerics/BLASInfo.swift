internal import COpenBLAS

/// Number of threads OpenBLAS will use.
public var blasThreadCount: Int { Int(openblas_get_num_threads()) }
