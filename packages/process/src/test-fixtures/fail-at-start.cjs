// Preloaded into a child (`--require`) so that it cannot start: it prints its cause, then a
// line that looks like one of Node's warnings, and exits with code 3 before the child is ready.
process.stderr.write('the database at db.invalid cannot be reached\n');
process.stderr.write(`(node:${process.pid}) SecurityWarning: a warning is not the cause\n`);
process.exit(3);
