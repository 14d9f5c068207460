import { serverError } from './client';

describe('serverError reads every error shape the servers use', () => {
  it('public API model state', () => {
    const text = JSON.stringify({
      object: 'error',
      message: "The request's model state is invalid.",
      errors: { 'Members[0].Email': ['The Email field is not a valid e-mail address.'] },
    });
    expect(serverError({ status: 400, text })).toEqual({
      status: 400,
      serverMessage: "The request's model state is invalid.",
      validationErrors: { 'Members[0].Email': ['The Email field is not a valid e-mail address.'] },
    });
  });

  it('public API bad request with errors: null', () => {
    const text = JSON.stringify({
      object: 'error',
      message: 'Seat limit has been reached.',
      errors: null,
    });
    expect(serverError({ status: 400, text })).toEqual({
      status: 400,
      serverMessage: 'Seat limit has been reached.',
    });
  });

  it('Duende OAuth error', () => {
    expect(serverError({ status: 400, text: '{"error":"invalid_client"}' })).toEqual({
      status: 400,
      serverMessage: 'invalid_client',
    });
  });

  it("Vaultwarden's shape, without repeating its message as a validation error", () => {
    const text = JSON.stringify({
      message: 'Incorrect client_secret',
      validationErrors: { '': ['Incorrect client_secret'] },
      errorModel: { message: 'Incorrect client_secret', object: 'error' },
      error: '',
      error_description: '',
      object: 'error',
    });
    expect(serverError({ status: 400, text })).toEqual({
      status: 400,
      serverMessage: 'Incorrect client_secret',
    });
  });

  it('a non-JSON or empty body', () => {
    expect(serverError({ status: 502, text: '<html>Bad Gateway</html>' }).serverMessage).toBe(
      '<html>Bad Gateway</html>',
    );
    expect(serverError({ status: 401, text: '' }).serverMessage).toBe('HTTP 401 with no message');
  });
});
