// The Album module. See README.md, "Architecture".
