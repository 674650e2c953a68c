// The Processing module. See README.md, "Architecture".
