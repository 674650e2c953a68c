// The Music module. See README.md, "Architecture".
