"""Everything that leaves the program: files, plots, console tables. The core never imports this."""
