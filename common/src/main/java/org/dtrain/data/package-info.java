/**
 * Training data: reading files, generating synthetic sets, shaping them for a task, splitting and
 * scaling.
 *
 * <p>Order of use: {@link org.dtrain.data.DataReader#read read} a spec (CSV, IDX or
 * {@code synthetic:NAME}) into a {@link org.dtrain.data.LabeledTable}; once the task is known, make
 * a {@link org.dtrain.data.Dataset} ({@link org.dtrain.data.Dataset#classification classification}
 * with one-hot targets, or {@link org.dtrain.data.Dataset#regression regression});
 * {@link org.dtrain.data.Dataset#split split} it with a seed; {@link org.dtrain.data.Scaler#fit fit}
 * a scaler on the training part only and apply it to both parts.
 *
 * <p>All arrays are row-major floats, shapes noted as {@code (rows, features)}. Every problem with
 * the user's data or options is a {@link org.dtrain.data.DataException} whose one-line message names
 * the file, line and column (or the option key), what was expected and what was found.
 */
package org.dtrain.data;
