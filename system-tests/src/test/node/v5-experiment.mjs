// Langfuse's v5 SDK running an experiment on a Langfuse dataset, as an application does: a dataset and
// its items created through the API (POST /api/public/v2/datasets, /api/public/dataset-items), read back
// by dataset.get (GET /api/public/v2/datasets/{name}, then /api/public/dataset-items paged until
// meta.totalPages), then dataset.runExperiment: one traced task per item (OTLP), a dataset run item per
// item (POST /api/public/dataset-run-items, whose datasetRunId becomes the experiment's id), item
// evaluators' scores and a run evaluator's score (POST /api/public/ingestion), and the project's id
// (GET /api/public/projects). Prints what it made.
import { run, settings } from './guard.mjs';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { LangfuseClient } from '@langfuse/client';

const { baseUrl, publicKey, secretKey, run: runId } = settings();
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.ERROR);

const CAPITALS = { France: 'Paris', Italy: 'Rome', Spain: 'Madrid' };
const ANSWERS = { France: 'Paris', Italy: 'Rome', Spain: 'Barcelona' };

await run(async () => {
  const processor = new LangfuseSpanProcessor({ publicKey, secretKey, baseUrl });
  const sdk = new NodeSDK({ serviceName: 'flywheel-langfuse-sdk-it', spanProcessors: [processor] });
  sdk.start();
  const langfuse = new LangfuseClient({ publicKey, secretKey, baseUrl });

  // a folder in the name: the SDK sends it encoded (%2F), which the gateway passes on in a dataset's own segment
  const name = `sdk-it/capitals-${runId}`;
  await langfuse.api.datasets.create({ name, description: 'v5 experiment', metadata: { run: runId } });
  for (const [country, capital] of Object.entries(CAPITALS)) {
    await langfuse.api.datasetItems.create({ datasetName: name, input: { country }, expectedOutput: capital, metadata: { country } });
  }
  const dataset = await langfuse.dataset.get(name);
  const runName = `exp-${runId}`;
  const result = await dataset.runExperiment({
    name: 'capitals',
    runName,
    description: 'a lookup table as the model',
    metadata: { model: 'lookup' },
    maxConcurrency: 2,
    task: async ({ input }) => ANSWERS[input.country],
    evaluators: [async ({ output, expectedOutput }) => ({ name: 'exact', value: output === expectedOutput ? 1 : 0 })],
    runEvaluators: [async ({ itemResults }) => ({
      name: 'accuracy',
      value: itemResults.filter(r => r.evaluations.some(e => e.name === 'exact' && e.value === 1)).length / itemResults.length,
    })],
  });

  await langfuse.score.flush();
  await processor.forceFlush();
  await langfuse.shutdown();
  await sdk.shutdown();
  return {
    sdk: '@langfuse/client@5.11.1',
    dataset: name,
    datasetId: dataset.id,
    items: dataset.items.length,
    runName: result.runName,
    datasetRunId: result.datasetRunId,
    experimentId: result.experimentId,
    traceIds: result.itemResults.map(r => r.traceId),
    itemRunIds: result.itemResults.map(r => r.datasetRunId),
    evaluations: result.itemResults.map(r => r.evaluations.map(e => e.value)),
    runEvaluations: result.runEvaluations.map(e => ({ name: e.name, value: e.value })),
  };
});
