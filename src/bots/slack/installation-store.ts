/** Bolt's InstallationStore over the store's neutral installations port. */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationsPort } from '../../store/installations.ts';
import type { WorkspaceTokens } from './oauth.ts';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export type SlackInstallations = InstallationStore & WorkspaceTokens & { count(): Promise<number> };

const keyOfQuery = (q: InstallationQuery<boolean>) => ({ teamId: q.teamId, enterpriseId: q.enterpriseId, isEnterprise: q.isEnterpriseInstall === true });

export function boltInstallationStore(port: InstallationsPort): SlackInstallations {
  return {
    async storeInstallation(installation) {
      await port.save({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterprise: installation.isEnterpriseInstall === true }, installation);
    },
    async fetchInstallation(query) {
      const found = await port.find(keyOfQuery(query));
      // Bolt expects a throw when there is none; it answers the request as unauthorized.
      if (!found) throw new Error(`No Slack installation for ${query.teamId ?? query.enterpriseId ?? 'this request'}; install the app at /slack/install.`);
      return found as AnyInstallation;
    },
    async deleteInstallation(query) {
      await port.remove(keyOfQuery(query));
    },
    botToken: (teamId) => port.botToken(teamId),
    count: () => port.count(),
  };
}
