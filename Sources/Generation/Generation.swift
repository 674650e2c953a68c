// The Generation module. See README.md, "Architecture".
