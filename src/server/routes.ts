// The route table: every API route, in the order the docs list them. A route added anywhere else is not
// mounted, and the permission-matrix test walks exactly this table.

import type { Route } from './route.js';
import { alertRoutes } from './routes/alert-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { customerRoutes } from './routes/customer-routes.js';
import { customerScoreRoutes } from './routes/customer-score-route.js';
import { dataRoutes } from './routes/data-routes.js';
import { dispatchRoutes } from './routes/dispatch-routes.js';
import { ingestRoutes } from './routes/ingest-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { metricRoutes } from './routes/metric-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import { scoreRoutes } from './routes/score-routes.js';
import { segmentRoutes } from './routes/segment-routes.js';
import { strategyRoutes } from './routes/strategy-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { upliftRoutes } from './routes/uplift-routes.js';
import { userRoutes } from './routes/user-routes.js';

/** Every route of the API. */
export const apiRoutes: readonly Route[] = [
  ...systemRoutes,
  ...authRoutes,
  ...userRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...customerRoutes,
  ...segmentRoutes,
  ...scoreRoutes,
  ...metricRoutes,
  ...modelRoutes,
  ...dataRoutes,
  ...customerScoreRoutes,
  ...ingestRoutes,
  ...jobRoutes,
  ...alertRoutes,
  ...strategyRoutes,
  ...campaignRoutes,
  ...dispatchRoutes,
  ...upliftRoutes,
];
