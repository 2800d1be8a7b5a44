"""The model's pure, vectorised kernels: arrays in, arrays out; no printing, plotting or files."""
