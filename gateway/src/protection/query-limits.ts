import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { ProtectionConfig } from './config';

/** The extensions.code of each rejected query, one per limit. */
export const QUERY_LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  directives: 'TOO_MANY_DIRECTIVES',
  tokens: 'TOO_MANY_TOKENS',
  cost: 'QUERY_TOO_COSTLY',
} as const;

type Limit = keyof typeof QUERY_LIMIT_CODES;
const LIMIT_CODES = new Set<unknown>(Object.values(QUERY_LIMIT_CODES));

export interface QueryLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<BaseContext>[];
}

/** A rejection the caller can act on: HTTP 400, the limit's own code, Armor's message without its "Syntax Error" prefix. */
function limitExceeded(limit: Limit, armorMessage: string): GraphQLError {
  return new GraphQLError(armorMessage.replace(/^Syntax Error:\s*/, ''), {
    extensions: { code: QUERY_LIMIT_CODES[limit], http: { status: 400 } },
  });
}

/**
 * GraphQL Armor's limits on depth, aliases, directives, tokens and estimated cost. Armor reports every rejection
 * with a generic code, so each limit reports its own error instead. Field suggestions are not Armor's to hide: its
 * mask leaves a trace ("[Suggestion hidden]?") that tells a near miss from a wild guess; formatErrors cuts them.
 */
export function queryLimits(config: ProtectionConfig, options: { logger: FastifyBaseLogger }): QueryLimits {
  const report = (limit: Limit) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        options.logger.info({ limit, reason: error.message }, 'query rejected by a limit');
        context?.reportError(limitExceeded(limit, error.message));
      },
    ],
  });
  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth, flattenFragments: true, ...report('depth') },
    maxAliases: { n: config.maxAliases, ...report('aliases') },
    maxDirectives: { n: config.maxDirectives, ...report('directives') },
    costLimit: { maxCost: config.maxCost, flattenFragments: true, ...report('cost') },
    blockFieldSuggestion: { enabled: false },
    // Armor's Apollo token plugin answers 500; tokenLimit below runs Armor's counting parser and answers 400.
    maxTokens: { enabled: false },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, tokenLimit(config.maxTokens, options.logger), limitCodes],
  };
}

/**
 * Counts tokens with Armor's parser before Apollo parses, and stops at the limit. A plugin can refuse a request
 * before parsing only by throwing: Apollo then calls unexpectedErrorProcessingRequest, which rethrows the limit
 * error so that it is answered as it is (400, TOO_MANY_TOKENS) instead of as an internal error.
 */
function tokenLimit(n: number, logger: FastifyBaseLogger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart({ source }) {
          let exceeded: GraphQLError | undefined;
          try {
            new MaxTokensParserWLexer(source, { n, onReject: [(_context, error) => (exceeded = error)], propagateOnRejection: true }).parseDocument();
          } catch {
            // Syntax errors other than the limit are Apollo's to report when it parses.
          }
          if (exceeded) {
            logger.info({ limit: 'tokens', reason: exceeded.message }, 'query rejected by a limit');
            throw limitExceeded('tokens', exceeded.message);
          }
        },
      };
    },
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof GraphQLError && LIMIT_CODES.has(error.extensions.code)) throw error;
    },
  };
}

/** Apollo wraps validation errors and overwrites their code with GRAPHQL_VALIDATION_FAILED: put the limit's back. */
const limitCodes: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          const code = error.originalError instanceof GraphQLError ? error.originalError.extensions.code : undefined;
          if (LIMIT_CODES.has(code)) (error.extensions as Record<string, unknown>).code = code;
        }
      },
    };
  },
};
