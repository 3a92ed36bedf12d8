// Submits the dashboard's organization switch form (a real request: a Blazor circuit cannot set the cookie itself).
export function switchOrganization(form, organizationId, returnUrl) {
    form.elements['organization_id'].value = organizationId;
    form.elements['return_url'].value = returnUrl;
    form.requestSubmit();
}
