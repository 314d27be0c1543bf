// An ElizaOS 1.x project with plugin-dynamic: `elizaos start` in this folder runs it as it is.
import { pluginDynamic } from '@elizaos/plugin-dynamic';

/** The agent: plugin-sql is its database (PGLite in ./.eliza), bootstrap lets it chat once a model plugin is added. */
export const character = {
  name: 'Builder',
  bio: ['Finds, installs and creates plugins for itself.'],
  plugins: ['@elizaos/plugin-sql', '@elizaos/plugin-bootstrap'],
  settings: {},
};

/** The agent with its plugins: plugin-dynamic given as the Plugin object. */
export const projectAgent = { character, plugins: [pluginDynamic] };

// `elizaos start` runs the project's default export; without `agents` it starts a server with no agent.
const project = { agents: [projectAgent] };
export default project;
