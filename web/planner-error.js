// The error of every failed planner call, and how a module's error object becomes one.

export class PlannerError extends Error {
  constructor(message, kind, details = {}) {
    super(message);
    this.name = 'PlannerError';
    this.kind = kind;  // 'input' | 'too_large' | 'cancelled' | 'crashed'
    // too_large: the case's inter-stage plans, the limit they exceed and the estimated seconds.
    Object.assign(this, details);
  }
}

// The module's error object {error, kind, ...} as a PlannerError: 'invalid' input is 'input'.
export function plannerError(error, crashed) {
  if (crashed) return new PlannerError(error.error, 'crashed');
  if (error.kind === 'too_large') {
    const {inter_plans: interPlans, limit, estimated_seconds: estimatedSeconds} = error;
    return new PlannerError(error.error, 'too_large', {interPlans, limit, estimatedSeconds});
  }
  return new PlannerError(error.error, 'input');
}
