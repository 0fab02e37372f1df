/**
 * INTERIM, TO BE DELETED AT INTEGRATION: minimal stand-ins, with the same names and signatures, for
 * llm-eval's {@code io.flywheel.llm.eval.chat.OpenAiChatClient}, {@code io.flywheel.llm.eval.EvaluatorSpec}
 * and {@code io.flywheel.llm.eval.Evaluators}, which helper "evals" builds on another branch in parallel
 * (issue 16). They exist only so that this branch compiles and its experiment tests run. When llm-eval's
 * land, delete this package and change the imports of ExperimentClients and ExperimentService to the
 * llm-eval classes; nothing else refers to it. (ExperimentClients, with only those three imports changed,
 * was compiled against main's llm-eval: the signatures match.)
 */
package io.flywheel.retrain.llm.experiment.interim;
