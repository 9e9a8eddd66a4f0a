// The signed-in user as /api/auth/me describes it, and the login, logout and password-change calls.

import { apiRequest } from './client';

export type Role = 'admin' | 'analyst' | 'operator' | 'viewer';

/** Who is signed in. */
export interface Me {
  kind: 'session' | 'token';
  name: string;
  role: Role;
  permissions: string[];
  mustChangePassword: boolean;
  csrfToken?: string;
  sessionExpiresAt?: string;
}

/** The signed-in user, or null when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await apiRequest<Me>('GET', '/api/auth/me');
  } catch (error) {
    if (error instanceof Error && 'status' in error && error.status === 401) return null;
    throw error;
  }
}

export function login(username: string, password: string): Promise<Me> {
  return apiRequest<Me>('POST', '/api/auth/login', { username, password });
}

export function logout(): Promise<void> {
  return apiRequest<void>('POST', '/api/auth/logout');
}

export function changePassword(currentPassword: string, newPassword: string): Promise<Me> {
  return apiRequest<Me>('POST', '/api/auth/password', { currentPassword, newPassword });
}
