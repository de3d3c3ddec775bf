# ruff: noqa: E501  (official wording, one criterion per line)
"""Official wording of every PC, copied from shared/reference/units.md (the project's reference).

Kept apart from units/data so that a slip in a unit file is caught, not repeated."""

REFERENCE = {
    "BSBCUS403": {
        "1.1": "Access, interpret, apply and monitor customer service standards in the workplace according to organisational standards, policies and procedures",
        "1.2": "Make contributions to the development, refinement and improvement of customer service standards, policies and processes",
        "2.1": "Encourage all personnel to consistently implement customer service systems",
        "2.2": "Review customer feedback in consultation with appropriate personnel and analyse when improving work practices",
        "2.3": "Identify customer service problems and make adjustments to ensure continued service quality",
        "2.4": "Communicate adjustments in service delivery to all those involved, within appropriate timeframes",
        "2.5": "Coordinate and manage delivery of services and products to ensure they effectively and efficiently meet agreed quality standards",
        "3.1": "Plan and implement team and work activities to meet customer needs and expectations, and to minimise inconvenience",
        "3.2": "Identify resources required to undertake team tasks while meeting required customer service levels",
    },
    "BSBCUS401B": {
        "1.1": "Clarify and accurately assess customer needs using appropriate communication techniques",
        "1.2": "Diagnose problems matching service delivery to customers and develop options for improved service within organisational requirements",
        "1.3": "Provide relevant and constructive advice to promote the improvement of customer service delivery",
        "1.4": "Use business technology and/or online services to structure and present information on customer service needs",
        "2.1": "Ensure customer service strategies and opportunities are promoted to designated individuals and groups",
        "2.2": "Identify and allocate available budget resources to fulfil customer service objectives",
        "2.3": "Promptly action procedures to resolve customer difficulties and complaints within organisational requirements",
        "2.4": "Ensure that decisions to implement strategies are taken in consultation with designated individuals and groups",
        "3.1": "Review client satisfaction with service delivery using verifiable data in accordance with organisational requirements",
        "3.2": "Identify and report changes necessary to maintain service standards to designated individuals and groups",
        "3.3": "Prepare conclusions and recommendations from verifiable evidence and provide constructive advice on future directions of client service strategies",
        "3.4": "Maintain systems, records and reporting procedures to compare changes in customer satisfaction",
    },
    "BSBOPS304": {
        "1.1": "Use appropriate interpersonal skills to accurately identify and clarify customer needs and expectations",
        "1.2": "Assess customer needs for urgency to determine priorities for service delivery according to organisational requirements",
        "1.3": "Use effective communication to inform customers about available choices for meeting their needs and assist in the selection of preferred options",
        "1.4": "Identify limitations in addressing customer needs and seek appropriate assistance from designated individuals",
        "2.1": "Provide prompt service to customers to meet identified needs in accordance with organisational requirements",
        "2.2": "Establish and maintain appropriate rapport with customers to ensure completion of quality service delivery",
        "2.3": "Sensitively and courteously handle customer complaints in accordance with organisational requirements",
        "2.4": "Provide assistance or respond to customers with specific needs according to organisational requirements",
        "2.5": "Identify and use available opportunities to promote and enhance services and products to customers",
        "3.1": "Regularly review customer satisfaction with service delivery using verifiable evidence according to organisational requirements",
        "3.2": "Identify opportunities to enhance the quality of service and products, and pursue within organisational requirements",
        "3.3": "Monitor procedural aspects of service delivery for effectiveness and suggest improvements",
    },
}
