import { DEFAULT_STAGES } from '@core/api/crm.js';

type Translate = (key: string) => string;

const isDefaultStage = (stage: string): stage is (typeof DEFAULT_STAGES)[number] => (DEFAULT_STAGES as readonly string[]).includes(stage);

/** A default stage the org has not renamed reads in the reader's language; any other name is shown as the admin typed it. */
export const stageLabel = (stage: string, t: Translate): string => (isDefaultStage(stage) ? t(`crmStages.${stage}`) : stage);

/** Select options: the stored name stays the value, only the label is translated. */
export const stageOptions = (stages: readonly string[], t: Translate): { value: string; label: string }[] =>
  stages.map((value) => ({ value, label: stageLabel(value, t) }));
