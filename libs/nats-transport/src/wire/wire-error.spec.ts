import { describe, expect, it } from '@jest/globals';
import { CliffracerError } from '@cliffracer/common';
import { BadRequestException, ForbiddenException, InternalServerErrorException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { statusOfWireError, toWireError } from './wire-error.js';

describe('toWireError', () => {
  it('keeps name, message, code and data of a Cliffracer error', () => {
    class PaymentDeclinedError extends CliffracerError {
      override readonly name = 'PaymentDeclinedError';
    }
    const wire = toWireError(new PaymentDeclinedError('card declined', { code: 'DECLINED', data: { retry: false } }));
    expect(wire).toEqual({ name: 'PaymentDeclinedError', message: 'card declined', code: 'DECLINED', data: { retry: false } });
  });

  it('maps a guard’s ForbiddenException to FORBIDDEN', () => {
    expect(toWireError(new ForbiddenException('no'))).toEqual({ name: 'ForbiddenException', message: 'no', code: 'FORBIDDEN' });
  });

  it('maps ValidationPipe’s BadRequestException to a ValidationError with the messages', () => {
    const wire = toWireError(new BadRequestException(['sku must be a string']));
    expect(wire).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_ERROR' });
    expect(wire.data).toEqual({ failures: [{ field: 'payload', messages: ['sku must be a string'] }] });
  });

  it('maps a 5xx HttpException to INTERNAL', () => {
    expect(toWireError(new InternalServerErrorException()).code).toBe('INTERNAL');
  });

  it('carries an RpcException string or object', () => {
    expect(toWireError(new RpcException('nope'))).toEqual({ name: 'RpcException', message: 'nope', code: 'RPC_ERROR' });
    expect(toWireError(new RpcException({ message: 'm', code: 'C' }))).toMatchObject({ message: 'm', code: 'C' });
  });

  it('hides an unknown error behind InternalError', () => {
    expect(toWireError(new TypeError('secret detail'))).toEqual({
      name: 'InternalError',
      message: 'Internal server error',
      code: 'INTERNAL',
    });
    expect(toWireError('a string')).toMatchObject({ code: 'INTERNAL' });
  });

  it('gives each code its NATS service status', () => {
    expect(statusOfWireError({ name: 'x', message: 'm', code: 'VALIDATION_ERROR' })).toBe(400);
    expect(statusOfWireError({ name: 'x', message: 'm', code: 'FORBIDDEN' })).toBe(403);
    expect(statusOfWireError({ name: 'x', message: 'm', code: 'SOMETHING_ELSE' })).toBe(500);
  });
});
