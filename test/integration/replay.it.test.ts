// Determinism guard: the committed histories of real runs (test/replay/*.json) must replay on
// the current workflow code. A change that would break running workflows (millions of cases,
// open for years) fails here and needs `patched()`. No server is needed to replay.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflows } from '../../worker.js';
import { DOSSIER_HISTORIQUES } from '../aides/historiques.js';

const fichiers = readdirSync(DOSSIER_HISTORIQUES).filter((f) => f.endsWith('.json'));

describe('replay of recorded workflow histories', () => {
  test('there is at least one recorded history', () => {
    expect(fichiers.length).toBeGreaterThan(0);
  });

  test.each(fichiers)('%s replays without non-determinism', async (fichier) => {
    const historique = historyFromJSON(JSON.parse(readFileSync(path.join(DOSSIER_HISTORIQUES, fichier), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, historique, `replay-${fichier}`);
  });
});
