/**
 * The {@code dtrain} command line (picocli). Only here do errors become exit codes: 0 success, 2 bad
 * input or usage (one line naming the file, flag or key), 1 failure while running.
 */
package org.dtrain.cli;
