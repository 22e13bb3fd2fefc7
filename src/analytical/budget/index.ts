/** What other modules use of the budget planner: the module and its problems. */
export { BudgetModule } from './budget.module.js';
export { BUDGET_PROBLEMS } from './budget.errors.js';
export { BUDGET_CONFIG } from './budget.config.js';
