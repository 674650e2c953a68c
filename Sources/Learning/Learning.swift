// The Learning module. See README.md, "Architecture".
