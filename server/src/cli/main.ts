/**
 * The `corroborate` command line. (Stub: `check` and `report` come in issue 6.)
 */
process.stderr.write('corroborate: the command line is not built yet\n');
process.exitCode = 2;
