// The alert changes the dashboard makes: acknowledge or close an alert, retry a dead message (alerts:ack).

import { apiRequest } from './client';
import type { Alert } from './types';

export function acknowledgeAlert(id: string): Promise<Alert> {
  return apiRequest<Alert>('POST', `/api/alerts/${encodeURIComponent(id)}/ack`);
}

export function closeAlert(id: string): Promise<Alert> {
  return apiRequest<Alert>('POST', `/api/alerts/${encodeURIComponent(id)}/close`);
}

export function retryMessage(id: string): Promise<{ id: string; status: 'pending' }> {
  return apiRequest('POST', `/api/alerts/outbox/${encodeURIComponent(id)}/retry`);
}
