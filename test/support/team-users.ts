import { api, login } from './hub';

/**
 * A teammate added by the admin and signed in: `Ana Agent` is ana@shop.example with the password
 * "Ana Agent password". Throws when the hub refuses to add them.
 */
export async function createTeamUser(
  hubUrl: string,
  adminToken: string,
  name: string,
  role: 'agent' | 'lead',
): Promise<{ id: string; token: string }> {
  const email = `${name.split(' ')[0]?.toLowerCase()}@shop.example`;
  const password = `${name} password`;
  const created = await api<{ user: { id: string } }>(hubUrl, adminToken, '/api/admin/users', {
    method: 'POST',
    body: { email, name, role, password },
  });
  if (created.status !== 201) throw new Error(`could not add ${name}: ${created.status}`);
  return { id: created.body.user.id, token: await login(hubUrl, { email, password }) };
}
