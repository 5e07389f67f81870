// Test-only workflow: sleeps for a legal duration given in milliseconds.
import { sleep } from '@temporalio/workflow';

export async function attente(ms: number): Promise<string> {
  await sleep(ms);
  return 'fin';
}
