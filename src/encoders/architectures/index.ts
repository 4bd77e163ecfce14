/** The architectures the weights route builds, keyed by config.json's model_type: one file each. */
import { EncoderLoadError } from '../types';
import { bert } from './bert';
import { mpnet } from './mpnet';
import { nomicBert } from './nomic_bert';
import type { Architecture, BaseConfig } from './types';

export type { Architecture, BaseConfig, FeedTensor, Feeds, GraphIO, Network } from './types';

const ARCHITECTURES: Record<string, Architecture<BaseConfig>> = {
  [bert.modelType]: bert as unknown as Architecture<BaseConfig>,
  [mpnet.modelType]: mpnet as unknown as Architecture<BaseConfig>,
  [nomicBert.modelType]: nomicBert as unknown as Architecture<BaseConfig>,
};

export const SUPPORTED_MODEL_TYPES = Object.keys(ARCHITECTURES);

export function architectureFor(modelType: unknown, model: string): Architecture<BaseConfig> {
  const arch = typeof modelType === 'string' ? ARCHITECTURES[modelType] : undefined;
  if (!arch) {
    throw new EncoderLoadError(`${model}: model_type ${JSON.stringify(modelType ?? null)} is not supported by the weights route (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
  }
  return arch;
}
