/** POST /companies/{cif}/resume — ends the idle back-off now (the manuals' MinuteTimeOut "resume"). */
import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../deps.js';
import { serializeEngineState } from '../../serialize.js';
import { cifParam, errorResponses } from '../../schemas.js';
import { rejectUnknownQuery } from '../../query.js';
import { companyFromCifParam } from '../../access/route-access.js';

const response = {
  type: 'object',
  required: ['cif', 'resumed', 'engine'],
  properties: {
    cif: { type: 'string' },
    resumed: { type: 'boolean', enum: [true] },
    engine: { anyOf: [{ $ref: 'EngineState#' }, { type: 'null' }], description: 'The engine state right after the request' },
  },
} as const;

export function resumeCompanyRoute(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cif: string } }>(
      '/companies/:cif/resume',
      {
        schema: {
          tags: ['companies'],
          summary: 'End the idle back-off of a company now',
          description: 'Accepted, not awaited: the engine takes the company up on its next turn.',
          params: { type: 'object', required: ['cif'], properties: { cif: cifParam } },
          response: { 202: response, ...errorResponses(400, 404) },
        },
        config: { access: { role: 'operator', tenant: companyFromCifParam } },
        preValidation: rejectUnknownQuery([]),
      },
      async (request, reply) => {
        const company = await deps.intake.resolveCompany(request.params.cif);
        deps.engine.resume(company.id);
        const state = deps.engine.states().find((s) => s.companyId === company.id);
        return reply.code(202).send({
          cif: company.cif,
          resumed: true,
          engine: state === undefined ? null : serializeEngineState(state),
        });
      },
    );
  };
}
