"""The commands as functions: the order of a run, from inputs folder to written files."""
