import type { RadarInput } from '../../../../src/domain/chart/radar.ts';

/** A TPM4 → TPM5 profile with some evidence (thin threshold 3). */
export const TPM4_TO_TPM5: RadarInput = {
  maxStep: 5,
  title: 'Ada Lovelace: TPM4 → TPM5, last 12 months',
  legend: {
    current: 'Current level: TPM4',
    target: 'Target level: TPM5',
    coverage: 'Evidence coverage: last 12 months',
  },
  axes: [
    {
      id: 'technology',
      label: 'Technology',
      current: 2,
      target: 2,
      coverage: 2,
      currentStepName: 'Specializes',
      targetStepName: 'Specializes',
    },
    {
      id: 'system',
      label: 'System',
      current: 2,
      target: 3,
      coverage: 1,
      currentStepName: 'Designs',
      targetStepName: 'Owns',
    },
    {
      id: 'people',
      label: 'People',
      current: 4,
      target: 5,
      coverage: 5,
      currentStepName: 'Coordinates',
      targetStepName: 'Manages',
    },
    {
      id: 'process',
      label: 'Process',
      current: 5,
      target: 5,
      coverage: 10 / 3,
      currentStepName: 'Defines',
      targetStepName: 'Defines',
    },
    {
      id: 'influence',
      label: 'Influence',
      current: 3,
      target: 4,
      coverage: 0,
      currentStepName: 'Multiple Teams',
      targetStepName: 'Company',
    },
  ],
};
